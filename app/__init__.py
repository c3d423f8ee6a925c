"""perfdesk core: everything here is Qt-free (DESIGN.md §4)."""

from app.version import __version__

__all__ = ["__version__"]
