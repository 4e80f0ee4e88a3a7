"""Articles: who sees them (visibility), how they are listed (listing), what they may hold
(inputs), the status machine (transitions) and the commands that change them (commands).

Import the modules themselves; this package module imports nothing, so that `services.policy`
can read the transition table without pulling in the commands that ask it.
"""
