# helper module: raises while being imported (tests that a failing import propagates the error)
first = 1
raise ValueError("pymod_raises failed during import")
