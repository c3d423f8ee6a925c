"""Each stage's self-test and screenshot steps, named by its descriptor (app.stages)."""
