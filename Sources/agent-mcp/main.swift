import MCPHost

HostMain.run()
