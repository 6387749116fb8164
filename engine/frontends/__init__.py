"""Documents people write (Python, Markdown/LaTeX notes) read as programs."""
