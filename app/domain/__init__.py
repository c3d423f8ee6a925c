"""Plain data shared by io and services: the drafts a form edits, the frozen view rows a service returns."""
