"""The three jobs assistants use this server for, each done in one tool call: quote prices for any number of
items (`quote`), answer "where is my order?" (`lookup`), and plan an inventory cleanup (`cleanup`).

The logic here talks to FinerWorks through the client and returns models; `tools/workflows.py` turns them into
tool results. `money` keeps USD exact; `bounded` runs many FinerWorks calls at once, within a limit.
"""
