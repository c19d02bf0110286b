"""What a family prepares for its meeting, below both the case pages that edit it and the meeting
views that show it: the model, the network map, and the view of the shared parts."""
