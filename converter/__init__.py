"""mote converter."""
