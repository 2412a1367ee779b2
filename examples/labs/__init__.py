"""examples/labs/ travels inside the package as iosfw.labs.data, so that `iosfw lab` finds its
labs after a plain `pip install .` as well as in a checkout."""
