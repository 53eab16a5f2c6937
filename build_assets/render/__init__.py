"""Rendering of optimizer trajectories: static surface backgrounds
(:mod:`.scene`), fast blitted GIF animations (:mod:`.animate`), GIF encoding
with one global palette (:mod:`.gif`) and the optimizer style table
(:mod:`.style`)."""
