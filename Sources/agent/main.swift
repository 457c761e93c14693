import AgentCLI

await Entrypoint.main()
