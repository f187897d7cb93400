"""The planner: clauses to logical plans (MATCH plans; other clauses run as operators of their own)."""

from namidb_cypher.planner.match_plan import MatchPlan, build_match_plan, describe

__all__ = ["MatchPlan", "build_match_plan", "describe"]
