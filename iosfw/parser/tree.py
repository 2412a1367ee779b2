"""Parse trees: the small subset of Lark's Tree and Token the program uses, without importing
Lark at run time (start-up is a measured figure)."""
from __future__ import annotations


class Token(str):
    __slots__ = ("type", "start_pos")

    def __new__(cls, type_: str, value: str, start_pos: int = 0):
        self = str.__new__(cls, value)
        self.type = type_
        self.start_pos = start_pos
        return self

    @property
    def value(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {str(self)!r})"

    def __reduce__(self):
        return (Token, (self.type, str(self), self.start_pos))


class Tree:
    """A node; a child is a Tree, a Token, or None where an optional `[x]` was left out."""
    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list):
        self.data = data
        self.children = children

    def __eq__(self, other) -> bool:
        return isinstance(other, Tree) and self.data == other.data and self.children == other.children

    def __hash__(self):
        return hash((self.data, tuple(self.children)))

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"

    def iter_subtrees_topdown(self):
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Tree))

    def iter_subtrees(self):
        """Bottom-up, as Lark orders them."""
        return reversed(list(self.iter_subtrees_topdown()))

    def scan_values(self, pred):
        for child in self.children:
            if isinstance(child, Tree):
                yield from child.scan_values(pred)
            elif child is not None and pred(child):
                yield child

    def tokens(self) -> list:
        """Every token below this node, in order."""
        out, stack = [], [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Tree):
                    stack.append(iter(child.children))
                    break
                if child is not None:
                    out.append(child)
            else:
                stack.pop()
        return out

    def find(self, data: str):
        """The first node named `data`, depth first, this one included."""
        if self.data == data:
            return self
        for child in self.children:
            if isinstance(child, Tree):
                found = child.find(data)
                if found is not None:
                    return found
        return None

    def pretty(self, indent: str = "") -> str:
        lines = [indent + self.data]
        for child in self.children:
            if isinstance(child, Tree):
                lines.append(child.pretty(indent + "  ").rstrip("\n"))
            elif child is None:
                lines.append(f"{indent}  None")
            else:
                lines.append(f"{indent}  {child.type} {str(child)!r}")
        return "\n".join(lines) + "\n"
