"""Code that decides grades. It never imports or runs student code and is hidden from the sandbox.

It reads what the sandbox produced as untrusted data (JSON replies, notebook
files opened without following links) and computes every expected value itself.
"""
