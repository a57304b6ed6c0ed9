"""`specc server`: a language server over stdio.

`analysis` is the editor-independent part (checking buffers with `specc lint`'s checker, the
cursor's place in a spec, hover text, completions, definitions, code actions) as plain data;
`lsp` is the pygls layer that speaks the protocol. Importing this package imports neither.
"""
