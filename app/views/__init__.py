"""The areas people recognise, one blueprint each."""
