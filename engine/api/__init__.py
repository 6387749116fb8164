"""The one validated entry layer every front door calls."""
