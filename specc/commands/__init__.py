"""One module per CLI command: `add_arguments(parser)` and `run(args, out, err) -> exit code`.

Modules import their heavy dependencies inside `run`, so building the parser stays cheap.
"""
