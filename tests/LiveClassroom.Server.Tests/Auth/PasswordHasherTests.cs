using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Tests.Auth;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Verify_RightAndWrongPassword_AcceptsOnlyTheRightOne()
    {
        var hash = PasswordHasher.Hash("正确的密码-1", iterations: 1000);

        Assert.True(PasswordHasher.Verify("正确的密码-1", hash));
        Assert.False(PasswordHasher.Verify("正确的密码-2", hash));
    }

    [Fact]
    public void Hash_SamePasswordTwice_UsesDifferentSalts()
    {
        Assert.NotEqual(PasswordHasher.Hash("pw", 1000), PasswordHasher.Hash("pw", 1000));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha512$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha512$1000$not base64!$AAAA")]
    [InlineData("md5$1$AAAA$AAAA")]
    public void Verify_MalformedHash_ReturnsFalse(string encoded)
    {
        Assert.False(PasswordHasher.Verify("pw", encoded));
    }
}
