"""The plain-language companion: professional words and what they mean, in fi, sv and en."""
