"""grammar/ travels inside the package as iosfw.grammar, so a plain `pip install .` carries it."""
