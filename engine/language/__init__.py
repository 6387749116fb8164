"""The .chain language and the notations it reads: text -> syntax -> Program."""
