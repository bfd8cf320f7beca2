"""Quality gates: valid HTML, accessibility, page weight, Lighthouse, fuzzed input (see README, "Quality gates")."""
