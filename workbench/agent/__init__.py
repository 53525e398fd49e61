"""The language-model side of simulations: an OpenAI-compatible client, the model agent, the simulated
customer and the judge of success criteria. Nothing here runs unless asked (``workbench simulate``,
``workbench test --live-agent``); scenarios replay a saved simulation with no model and no network.
"""
