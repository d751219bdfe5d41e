"""Benchmarks: a synthetic site generator and a runner that compares dsguide with Hugo + Pagefind."""
