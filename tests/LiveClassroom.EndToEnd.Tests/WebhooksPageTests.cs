using System.Text.RegularExpressions;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed partial class WebhooksPageTests(EndToEndFixture fx)
{
    [GeneratedRegex("^whsec_[0-9a-f]{64}$")]
    private static partial Regex SecretPattern();

    [Fact]
    public async Task Webhooks_CountyAdminRegistersReceiver_SecretShownOnceClassOpenedDeliveredAndReplayed()
    {
        using var receiver = new WebhookReceiver();
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        await browser.LoginAsync("admin");
        await page.GotoAsync("/admin/webhooks");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Exact = true })).ToBeVisibleAsync();
        var form = page.GetByTestId("webhook-form");

        await form.GetByLabel("接收地址").FillAsync("http://dc.example.cn/hook");
        await form.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Expect(page.Locator("#hook-url-error")).ToHaveTextAsync("地址必须以 https:// 开头。");

        await form.GetByLabel("接收地址").FillAsync(receiver.Url);
        await form.GetByLabel("说明（可选）").FillAsync("区数据中心");
        await form.GetByLabel("开始上课").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        var secretBox = page.GetByTestId("webhook-secret-value");
        await Expect(secretBox).ToHaveTextAsync(SecretPattern());
        var secret = await secretBox.TextContentAsync() ?? "";
        var row = page.GetByTestId("webhook-row").Filter(new() { HasText = receiver.Url });
        await Expect(row).ToContainTextAsync("开始上课");
        await Expect(row).ToContainTextAsync("已启用");
        await browser.ScreenshotAsync("admin-webhooks-created");
        await page.GetByRole(AriaRole.Button, new() { Name = "我已保存" }).ClickAsync();
        await page.ReloadAsync();
        await Expect(row).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var classId = await fx.Api.OpenLessonAsync(scenario.PairingId);
        var opened = await receiver.NextAsync("class.opened", r => r.Json.GetProperty("data").GetProperty("classId").GetString() == classId);
        Assert.True(WebhookReceiver.SignatureValid(opened, secret), "signature: " + opened.Signature);

        await row.GetByTestId("webhook-deliveries").ClickAsync();
        var list = page.GetByTestId("webhook-delivery-list");
        var delivery = list.GetByTestId("webhook-delivery").Filter(new() { HasText = "开始上课" }).First;
        await Expect(delivery).ToBeVisibleAsync();
        // The page looks again by itself while a delivery is queued or being sent.
        await Expect(delivery.GetByTestId("webhook-delivery-status")).ToHaveTextAsync("成功");
        await Expect(delivery).ToContainTextAsync("200");

        await delivery.GetByRole(AriaRole.Button, new() { Name = "重新投递" }).ClickAsync();
        await Expect(list.GetByRole(AriaRole.Status)).ToHaveTextAsync("已重新排队投递“开始上课”。");
        var again = await receiver.NextAsync("class.opened", r => r.EventId == opened.EventId);
        Assert.Equal(opened.Body, again.Body);
        Assert.True(WebhookReceiver.SignatureValid(again, secret));
        await browser.ScreenshotAsync("admin-webhooks-deliveries");

        await row.GetByTestId("webhook-remove").ClickAsync();
        await row.GetByTestId("webhook-remove-confirm").ClickAsync();
        await Expect(page.GetByTestId("webhook-row").Filter(new() { HasText = receiver.Url })).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors();
    }
}
