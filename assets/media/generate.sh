#!/bin/sh
# Regenerates the sample videos and audio in this folder (needs ffmpeg with libx264, libx265
# and libmp3lame). Flat colours and silence keep every file a few kilobytes; each one sits at or
# just past the edge of one rule of the asset service (see the README's "Asset types").
set -eu
cd "$(dirname "$0")"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
colour() { echo "color=c=steelblue:s=$1:r=$2:d=$3"; }
silence() { echo "anullsrc=r=$1:cl=mono"; }
x264="-c:v libx264 -preset veryfast -crf 45 -pix_fmt yuv420p"
x265="-c:v libx265 -preset ultrafast -crf 45 -pix_fmt yuv420p -x265-params log-level=error"

# Accepted: both containers, both video codecs, AAC / MP3 / PCM tracks, 24 and 60 fps.
ff -f lavfi -i "$(colour 640x640 24 3)" -f lavfi -i "$(silence 22050)" -t 3 $x264 -c:a aac -b:a 16k -movflags +faststart h264-aac-24fps.mp4
ff -f lavfi -i "$(colour 640x640 30 3)" -f lavfi -i "$(silence 22050)" -t 3 $x264 -c:a aac -b:a 16k moov-at-end.mp4
ff -f lavfi -i "$(colour 720x720 25 2)" -f lavfi -i "$(silence 8000)" -t 2 $x265 -tag:v hvc1 -c:a pcm_s16le hevc-pcm.mov
ff -f lavfi -i "$(colour 640x640 60 2)" -f lavfi -i "$(silence 22050)" -t 2 $x265 -tag:v hev1 -c:a libmp3lame -b:a 32k hevc-mp3-60fps.mp4
# Stored 960x640, shown 640x960: the rules apply to what is shown.
ff -f lavfi -i "$(colour 960x640 24 2)" $x264 unrotated.tmp.mp4
ff -i unrotated.tmp.mp4 -c copy -metadata:s:v:0 rotate=90 rotated.mp4 && rm unrotated.tmp.mp4
# Refused: frame rate, pixels, codecs.
ff -f lavfi -i "$(colour 640x640 23 2)" $x264 fps-23.mp4
ff -f lavfi -i "$(colour 640x640 61 2)" $x264 fps-61.mp4
ff -f lavfi -i "$(colour 320x320 24 2)" $x264 small-320x320.mp4
ff -f lavfi -i "$(colour 640x640 24 2)" -c:v mpeg4 -b:v 16k -g 600 mpeg4-part2.mp4
ff -f lavfi -i "$(colour 640x640 24 2)" -f lavfi -i "$(silence 48000)" -t 2 $x264 -c:a libopus -b:a 8k opus-audio.mp4
# Model rules (warnings): 1 s and 16 s.
ff -f lavfi -i "$(colour 640x640 24 1)" $x264 short-1s.mp4
ff -f lavfi -i "$(colour 640x640 24 16)" $x264 long-16s.mp4

# Audio: WAV, MP3 with and without a Xing header, 16 s (model rule), AAC (refused).
ff -f lavfi -i "$(silence 8000)" -t 2 -c:a pcm_s16le voice.wav
ff -f lavfi -i "sine=f=440:r=22050" -t 2 -c:a libmp3lame -b:a 32k -write_xing 0 voice-cbr.mp3
ff -f lavfi -i "sine=f=440:r=22050" -t 3 -c:a libmp3lame -q:a 9 voice-vbr.mp3
ff -f lavfi -i "$(silence 8000)" -t 16 -c:a libmp3lame -b:a 8k voice-16s.mp3
ff -f lavfi -i "$(silence 22050)" -t 2 -c:a aac -b:a 16k voice.m4a
