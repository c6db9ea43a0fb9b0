// Entry point of the `citekeys` command: keys and check over files and folders.
process.exitCode = 2;
