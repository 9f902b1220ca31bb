"""The three jobs assistants use this server for, each done in one tool call: quote prices for any number of
items (`quote`), answer "where is my order?" (`lookup`), and plan an inventory cleanup (`cleanup`).

The jobs talk to FinerWorks through the api client and return the models in `results`; `mcp/tools/workflows.py`
turns them into tool results. `bounded` runs many FinerWorks calls at once, within a limit; money is counted by
`api.money`, the same way the guard's order previews count it. Nothing here imports MCP.
"""
