"""Analysis of recommendation texts. Pure Python: never imports Django."""
