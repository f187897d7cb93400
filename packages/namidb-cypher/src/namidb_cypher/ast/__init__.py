"""The Cypher syntax tree (:mod:`.nodes`) and the parse-callback builder that makes it (:mod:`.build`)."""
