"""The language-model side of simulations: an OpenAI-compatible client, the model agent, the simulated
customer and the judge of success criteria; and who plays the agent in a debug run (``players.py``). No model
runs unless asked (``workbench simulate``, ``workbench test --live-agent``, the run bar's model choice);
scenarios replay a saved simulation with no model and no network.
"""
