using System.Globalization;
using System.Net;
using LiveClassroom.Media.Benchmarks;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Srtp;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Transport;

// Media-plane micro benchmarks: one thread, plain Stopwatch, figures printed. Usage: [seconds per benchmark]
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2.0;
var duration = TimeSpan.FromSeconds(seconds);
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} CPUs, {seconds:0.#} s per benchmark, single thread");

foreach (var profile in new[] { SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm })
{
    SrtpBenchmarks.Protect(profile, duration);
    SrtpBenchmarks.Unprotect(profile, duration);
}
ParseBenchmarks.Rtp(duration);
ParseBenchmarks.RtcpCompound(duration);
StunBenchmarks.Check(duration);
TransportBenchmark.Receive(duration);

namespace LiveClassroom.Media.Benchmarks
{
    internal static class SrtpBenchmarks
    {
        private const int PayloadLength = 1200;

        public static void Protect(SrtpProfile profile, TimeSpan duration)
        {
            using var context = SrtpContext.Create(profile, Key(profile), Salt(profile));
            var buffer = new byte[2048];
            ushort seq = 0;
            Measure.Run($"SRTP protect {profile} 1200 B", duration, 1000, batch =>
            {
                var ok = 0;
                for (var i = 0; i < batch; i++)
                {
                    var length = WriteRtp(buffer, seq++);
                    if (context.ProtectRtp(buffer, length, out _) == SrtpStatus.Ok)
                    {
                        ok++;
                    }
                }
                return ok;
            });
        }

        public static void Unprotect(SrtpProfile profile, TimeSpan duration)
        {
            // A receiver refuses replays, so pre-protect a ring of packets and use a fresh receive context per lap
            // (its key derivation costs a few microseconds per 4096 packets).
            const int Ring = 4096;
            var key = Key(profile);
            var salt = Salt(profile);
            using var sender = SrtpContext.Create(profile, key, salt);
            var packets = new byte[Ring][];
            var work = new byte[2048];
            for (var i = 0; i < Ring; i++)
            {
                var length = WriteRtp(work, (ushort)i);
                sender.ProtectRtp(work, length, out var protectedLength);
                packets[i] = work.AsSpan(0, protectedLength).ToArray();
            }
            var receiver = SrtpContext.Create(profile, key, salt);
            var next = 0;
            Measure.Run($"SRTP unprotect {profile} 1200 B", duration, 1024, batch =>
            {
                var ok = 0;
                for (var i = 0; i < batch; i++)
                {
                    if (next == Ring)
                    {
                        receiver.Dispose();
                        receiver = SrtpContext.Create(profile, key, salt);
                        next = 0;
                    }
                    var packet = packets[next++];
                    packet.CopyTo(work, 0);
                    if (receiver.UnprotectRtp(work.AsSpan(0, packet.Length), out _) == SrtpStatus.Ok)
                    {
                        ok++;
                    }
                }
                return ok;
            });
            receiver.Dispose();
        }

        private static int WriteRtp(Span<byte> buffer, ushort seq)
        {
            RtpHeaderWriter.WriteFixed(buffer, 96, false, seq, seq * 3000u, 0x12345678);
            buffer.Slice(12, PayloadLength).Fill(0x5A);
            return 12 + PayloadLength;
        }

        private static byte[] Key(SrtpProfile profile) => Enumerable.Range(1, SrtpProfileInfo.KeyLength(profile)).Select(i => (byte)i).ToArray();

        private static byte[] Salt(SrtpProfile profile) => Enumerable.Range(50, SrtpProfileInfo.SaltLength(profile)).Select(i => (byte)i).ToArray();
    }

    internal static class ParseBenchmarks
    {
        public static void Rtp(TimeSpan duration)
        {
            // A Chrome-like video packet: one-byte extensions (abs-send-time 2, transport-cc 3, mid 4, rid 10).
            var ext = new byte[32];
            var w = new RtpExtensionWriter(ext, twoByte: false);
            w.Add(2, [1, 2, 3]);
            w.Add(3, [0, 42]);
            w.Add(4, "1"u8);
            w.Add(10, "h"u8);
            var extLength = w.Finish();
            var packet = new byte[1300];
            var n = RtpHeaderWriter.Write(packet, 96, false, 1000, 90000, 0xABCDEF01, [], w.Profile, ext.AsSpan(0, extLength));
            packet[n] = 0x90;
            packet[n + 1] = 0x80;
            packet[n + 2] = 0x05;
            packet[n + 3] = 0x00;
            var length = n + 1100;
            Measure.Run("RTP parse + mid/rid/transport-cc + VP8 descriptor", duration, 10_000, batch =>
            {
                var ok = 0;
                for (var i = 0; i < batch; i++)
                {
                    var span = packet.AsSpan(0, length);
                    if (RtpHeader.TryParse(span, out var h) == RtpParseError.None
                        && RtpExtensions.TryGetMid(span, h, 4, out _)
                        && RtpExtensions.TryGetRid(span, h, 10, out _)
                        && RtpExtensions.TryGetTransportSequenceNumber(span, h, 3, out _)
                        && LiveClassroom.Media.Rtp.Codecs.Vp8Payload.TryParse(h.Payload(span), out _))
                    {
                        ok++;
                    }
                }
                return ok;
            });
        }

        public static void RtcpCompound(TimeSpan duration)
        {
            var buffer = new byte[600];
            var n = RtcpWriter.WriteReceiverReport(buffer, 1, [new RtcpReportBlock(2, 3, 4, 5, 6, 7, 8), new RtcpReportBlock(9, 3, 4, 5, 6, 7, 8)]);
            n += RtcpWriter.WriteSdesCname(buffer.AsSpan(n), 1, "abcdefgh12345678"u8);
            n += RtcpWriter.WriteRemb(buffer.AsSpan(n), 1, 2_500_000, [2, 9]);
            n += RtcpWriter.WriteNack(buffer.AsSpan(n), 1, 2, [10, 11, 15]);
            var twcc = new TransportCcFeedbackBuilder();
            twcc.Reset(100, 0);
            for (var i = 0; i < 40; i++)
            {
                twcc.TryAddReceived((ushort)(100 + i + (i / 10)), 1_000_000 + (i * 1500));
            }
            n += twcc.Write(buffer.AsSpan(n), 1, 2);
            var compound = buffer.AsSpan(0, n).ToArray();
            var statuses = new TransportCcPacket[4096];
            var lost = new ushort[256];
            Measure.Run($"RTCP compound parse (RR+SDES+REMB+NACK+TWCC, {compound.Length} B)", duration, 10_000, batch =>
            {
                var ok = 0;
                for (var i = 0; i < batch; i++)
                {
                    var e = new RtcpCompoundEnumerator(compound);
                    while (e.MoveNext())
                    {
                        var p = e.Current.Slice((ReadOnlySpan<byte>)compound);
                        if (e.Current.PacketType == RtcpPacketType.ReceiverReport && RtcpReceiverReport.TryParse(p, out var rr))
                        {
                            for (var b = 0; b < rr.ReportCount; b++)
                            {
                                _ = RtcpReceiverReport.GetReportBlock(p, b);
                            }
                        }
                        else if (e.Current.PacketType == RtcpPacketType.SourceDescription)
                        {
                            var sdes = new RtcpSdesEnumerator(p);
                            while (sdes.MoveNext())
                            {
                            }
                        }
                        else if (RtcpFeedbackHeader.TryParse(p, out var fb))
                        {
                            if (fb.IsApplicationLayer)
                            {
                                RtcpRemb.TryParse(fb.Fci(p), out _, out _);
                            }
                            else if (fb.IsNack)
                            {
                                RtcpNack.Expand(fb.Fci(p), lost);
                            }
                            else if (fb.IsTransportCc)
                            {
                                TransportCcFeedback.TryParse(fb.Fci(p), statuses, out _);
                            }
                        }
                    }
                    if (!e.IsMalformed)
                    {
                        ok++;
                    }
                }
                return ok;
            });
        }
    }

    internal static class StunBenchmarks
    {
        public static void Check(TimeSpan duration)
        {
            var transport = new CountingTransport();
            var local = new IceCredentials("bnch", "benchmarkpassword0123456");
            using var agent = new IceLiteAgent(transport, new NullSink(), TimeProvider.System, local);
            agent.SetRemoteUfrag("chrm");
            var buffer = new byte[512];
            var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, new byte[12]);
            writer.AddUsername("bnch:chrm");
            writer.AddPriority(0x6e0001ff);
            writer.AddIceControlling(42);
            writer.AddUseCandidate();
            writer.AddMessageIntegrity("benchmarkpassword0123456"u8);
            writer.AddFingerprint();
            var request = buffer.AsSpan(0, writer.Length).ToArray();
            var remote = new RemoteAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 50000));
            Measure.Run("STUN check: parse, verify, answer (ICE-lite)", duration, 1000, batch =>
            {
                var ok = 0;
                for (var i = 0; i < batch; i++)
                {
                    if (agent.HandleStun(request, remote) == IceCheckResult.Success)
                    {
                        ok++;
                    }
                }
                return ok;
            });
        }

        private sealed class CountingTransport : IMediaTransport
        {
            public long Sent { get; private set; }

            public bool Send(ReadOnlySpan<byte> packet, RemoteAddress remote)
            {
                Sent++;
                return true;
            }

            public bool TryRegisterUfrag(string localUfrag, IPacketSink sink) => true;

            public void UnregisterUfrag(string localUfrag)
            {
            }

            public void AddRoute(RemoteAddress remote, IPacketSink sink)
            {
            }

            public void RemoveRoute(RemoteAddress remote)
            {
            }

            public void RemoveSink(IPacketSink sink)
            {
            }
        }

        private sealed class NullSink : IPacketSink
        {
            public void OnStun(Span<byte> packet, RemoteAddress remote)
            {
            }

            public void OnDtls(Span<byte> packet, RemoteAddress remote)
            {
            }

            public void OnRtp(Span<byte> packet, RemoteAddress remote)
            {
            }

            public void OnRtcp(Span<byte> packet, RemoteAddress remote)
            {
            }
        }
    }
}
