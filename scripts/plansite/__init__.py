"""Load, validate and render the Guangdong–Macao cooperation plans."""
