"""`mediamon ui`: a read-only web view of the warehouse (Starlette + Jinja2, SVG charts)."""
