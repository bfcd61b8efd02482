using System.Buffers.Binary;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// Keeps one SSRC of a video track whose publisher simulcasts (RFC 8853): the SFU's tap hands over every layer, the
/// recording wants the best one, and a recorder that saw the SSRC change would cut a new part at every packet.
/// Choosing → Locked(ssrc): for <see cref="ChooseMs"/> it only notes each layer's picture size from its keyframes, then
/// locks the largest (asking for its keyframe) — or, if no keyframe came, the next one's layer. A keyframe of a layer
/// with a larger picture moves the lock up (a recording part starts there, at a keyframe); a locked layer silent for
/// <see cref="StaleAfterMs"/> (its encoder paused, or the publisher restarted its camera) sends it back to Choosing.
/// Without simulcast there is one SSRC, passed on from the first keyframe after the choosing time. One caller at a time.
/// </summary>
public sealed class LayerPicker(RtpCodecInfo codec, Action? keyframeNeeded = null)
{
    public const long StaleAfterMs = 1000;
    public const long ChooseMs = 700;

    private readonly Dictionary<uint, long> _lastSeen = [];
    private readonly Dictionary<uint, int> _pixels = [];
    private uint _locked;
    private bool _isLocked;
    private long _choosingSince = -1;

    /// <summary>The SSRC passed on now, if any.</summary>
    public uint? Current => _isLocked ? _locked : null;

    /// <summary>Whether to hand this packet to the recorder.</summary>
    public bool Accept(ReadOnlySpan<byte> packet, long nowMs)
    {
        if (packet.Length < 12)
        {
            return false;
        }
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        _lastSeen[ssrc] = nowMs;
        var keyframe = RtpInspector.StartsKeyframe(codec, packet);
        if (keyframe && PictureSize.Pixels(codec.IsH264, packet) is > 0 and var size)
        {
            _pixels[ssrc] = size;
        }
        if (_isLocked && ssrc != _locked && nowMs - _lastSeen.GetValueOrDefault(_locked) > StaleAfterMs)
        {
            _isLocked = false;
            _lastSeen.Remove(_locked);
            _pixels.Remove(_locked);
            _choosingSince = nowMs;
        }
        if (_isLocked)
        {
            if (ssrc == _locked)
            {
                return true;
            }
            if (keyframe && _pixels.GetValueOrDefault(ssrc) > _pixels.GetValueOrDefault(_locked) && _pixels.ContainsKey(_locked))
            {
                _locked = ssrc;
                return true;
            }
            return false;
        }
        if (_choosingSince < 0)
        {
            _choosingSince = nowMs;
        }
        if (nowMs - _choosingSince < ChooseMs)
        {
            return false;
        }
        if (Largest() is { } best)
        {
            _isLocked = true;
            _locked = best;
            if (ssrc != best || !keyframe)
            {
                // Its keyframe went by while choosing: the SFU's keyframe request goes to the highest layer.
                keyframeNeeded?.Invoke();
            }
            return ssrc == best;
        }
        if (!keyframe)
        {
            return false;
        }
        _isLocked = true;
        _locked = ssrc;
        return true;
    }

    private uint? Largest()
    {
        uint? best = null;
        var most = 0;
        foreach (var (ssrc, pixels) in _pixels)
        {
            if (pixels > most)
            {
                (best, most) = (ssrc, pixels);
            }
        }
        return best;
    }
}
