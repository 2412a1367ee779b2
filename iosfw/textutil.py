"""Small text checks shared by every layer."""


def is_number(text: str) -> bool:
    """ASCII digits only: `str.isdigit` also says yes to `²`, which int() refuses."""
    return text.isascii() and text.isdigit()


# The longest command line a terminal line takes (a vty's editor refuses more characters, as
# IOS's line buffer does); a longer line from a script or a pipe is refused whole.
MAX_LINE = 4096
