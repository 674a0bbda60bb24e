"""mote: on-device inference SDK."""
