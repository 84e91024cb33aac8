"""Scenarios shipped with Genba: `genba demo` runs them; the parity tests run them on both hosts."""
