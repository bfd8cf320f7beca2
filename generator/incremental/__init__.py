"""The speed machinery: what a builder keeps between builds, the items'
keys, the plan of what to make again, and the work shared between forked
processes. Nothing here is needed to understand what a page holds."""
