"""The openCypher TCK runner: one pytest item per TCK scenario (see conftest.py)."""
