"""What the TA and the students open: ``grades.csv``, the class report, the feedback scrubber.

Built by trusted code from the gradebook and saved results; every student-written
string in them is untrusted text.
"""
