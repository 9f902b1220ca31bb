"""FinerWorks as this server sees it: the endpoint catalogue (`endpoints`), the client with its connections, retries
and rate limiter (`client`, `connections`, `ratelimit`), typed errors (`errors`), typed reads and request bodies
(`answers`), money (`money`), the reference-data cache (`reference`), text sanitising (`text`) and the schemas of
its requests and answers (`schemas/`).

The lowest layer above `settings`: nothing here knows MCP, the guard or the workflows exist (the import contract in
pyproject.toml holds it).
"""
