// RFC 7741 §4.2: PictureID (7 or 15 bits) and TL0PICIDX (8 bits) must stay continuous across a switch, like RTP
// sequence numbers, or the receiver's reference tracking may take the new source's frames for old ones.
using LiveClassroom.Media.Rtp.Codecs;

namespace LiveClassroom.Media.Sfu;

/// <summary>Per-slot VP8 descriptor rewriting: offsets re-based at each switch, applied in place on the outgoing copy. Not thread-safe.</summary>
internal sealed class Vp8Rewriter
{
    private int _pictureOffset;
    private int _tl0Offset;
    private int _lastPicture = -1;
    private int _lastTl0 = -1;
    private bool _rebase = true;

    /// <summary>The next packet starts a new source epoch (a keyframe of the new source).</summary>
    public void Rebase() => _rebase = true;

    public void Rewrite(Span<byte> payload)
    {
        if (!Vp8Payload.TryParse(payload, out var d))
        {
            return;
        }
        if (d.PictureId != Vp8Descriptor.NoPictureId)
        {
            var mask = d.HasLongPictureId ? 0x7FFF : 0x7F;
            if (_rebase)
            {
                _pictureOffset = _lastPicture < 0 ? 0 : (_lastPicture + 1 - d.PictureId) & 0x7FFF;
            }
            var picture = (d.PictureId + _pictureOffset) & mask;
            Vp8Payload.TrySetPictureId(payload, d, picture);
            // Newer modulo the field's own width (7 or 15 bits): a 7-bit PictureID wraps every 128 pictures.
            if (_lastPicture < 0 || ((picture - _lastPicture) & mask) <= mask >> 1)
            {
                _lastPicture = picture;
            }
        }
        if (d.HasTl0PicIdx)
        {
            if (_rebase)
            {
                _tl0Offset = _lastTl0 < 0 ? 0 : (_lastTl0 + 1 - d.Tl0PicIdx) & 0xFF;
            }
            var tl0 = (byte)(d.Tl0PicIdx + _tl0Offset);
            Vp8Payload.TrySetTl0PicIdx(payload, d, tl0);
            if (_lastTl0 < 0 || (byte)(tl0 - _lastTl0) < 0x80)
            {
                _lastTl0 = tl0;
            }
        }
        _rebase = false;
    }
}
