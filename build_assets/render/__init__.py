"""Rendering of optimizer trajectories: static surface backgrounds (:mod:`.grid`
samples and scales a surface, :mod:`.scene` draws it, :mod:`.colorbar`), fast blitted
GIF animations (:mod:`.animate`, built from :mod:`.frames`, :mod:`.clip`,
:mod:`.drape`, :mod:`.overlay`, :mod:`.markers`, :mod:`.legend`, :mod:`.timeline`,
:mod:`.inset`, :mod:`.counter`), GIF encoding with one global palette (:mod:`.gif`),
the optimizer style table (:mod:`.style`) and the static charts."""
