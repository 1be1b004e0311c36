"""Reading and writing recommendation files and UN documents. Pure Python: never imports Django."""
