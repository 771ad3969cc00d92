"""Article schema: inputs editors send (inputs.py) and the types everyone reads (types.py)."""
