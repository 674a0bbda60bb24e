"""mote quantizer."""
