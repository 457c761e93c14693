import AgentCLI

Entrypoint.start()
