// Placeholder: a child process that writes sessions so tests can SIGKILL it mid-save.
