"""Annotating from the preview: select words in a source page, get the YAML.

Only ``serve`` uses this package; nothing of it reaches a published build
(the page's script and markup are added by the preview server as it
answers, never written into the output). The parts, from the words
selected to the file written:

- ``quote``: the selection -> the quote as the content format normalises
  it, with the shortest prefix/suffix that make it unique (the loader's own
  normalisation and ``find_places``);
- ``snippet``: the YAML of a note, an evidence item or a new event;
- ``yamltext``: that YAML inserted as text into a YAML document, every other
  byte left as it was;
- ``edit``: which file changes and how, checked by parsing it before and after;
- ``handler``: the HTTP endpoints and what the preview adds to a source page.
"""
