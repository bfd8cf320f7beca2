"""A static research microsite generator.

Seeds (collected source texts) plus hand-written annotations become a site of
source pages, a timeline and an actor index. Data flows one way:
load -> validate -> model -> Markdown -> HTML -> write.
"""

__version__ = "0.1.0"
