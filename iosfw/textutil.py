"""Small text checks shared by every layer."""


def is_number(text: str) -> bool:
    """ASCII digits only: `str.isdigit` also says yes to `²`, which int() refuses."""
    return text.isascii() and text.isdigit()
