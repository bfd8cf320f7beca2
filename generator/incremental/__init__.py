"""The speed machinery: what a builder keeps between builds, the loader's
steps reused from the cache, the items' keys, the plan of what to make
again, and the work shared between forked processes. Nothing here is
needed to understand what a page holds, and nothing here changes it."""
