using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Tests.Recording;

public sealed class LiveClassRecordingStarterTests
{
    // The library accepts only these three 学段; a wrong guess would be refused when the resource is prefilled.
    [Theory]
    [InlineData("三年级", "小学")]
    [InlineData("六年级", "小学")]
    [InlineData("初二", "初中")]
    [InlineData("八年级", "初中")]
    [InlineData("高一", "高中")]
    [InlineData("学前班", null)]
    [InlineData("", null)]
    public void StageOf_GradeName_IsItsSchoolStage(string grade, string? stage) =>
        Assert.Equal(stage, LiveClassRecordingStarter.StageOf(grade));
}
